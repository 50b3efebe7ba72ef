"""The embedded demo: a synthetic genome with WT and KO peaks carrying planted motifs.

Background DNA comes from an order-k Markov model fitted to real mm10 ATAC-seq
peaks, so that a CNN cannot separate the classes by GC content or CpG depletion
alone; only the planted JASPAR motifs differ between WT and KO.
"""
