# Substitute the kernel command line (@CMDLINE@) into grub.cfg; script mode.
cmake_minimum_required(VERSION 3.20)
configure_file(${IN} ${OUT} @ONLY)
