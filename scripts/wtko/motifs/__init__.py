"""Motif records and the I/O of MEME, TOMTOM, HOMER and JASPAR formats."""
