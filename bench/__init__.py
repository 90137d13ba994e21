"""Benchmarks: run with `make bench`. Each reports medians and p99 with a same-run baseline."""
