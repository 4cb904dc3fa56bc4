"""Work done in other processes, bounded: worker pools with a time limit, LibreOffice in a box, a cap on
conversions across workers, time and memory limits."""
