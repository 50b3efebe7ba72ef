"""Figures: each module draws one kind of plot to PNG and SVG with the Agg backend."""
