"""``python -m analysis``: see :mod:`analysis.cli`.

Once the command has finished (its output written, its kernels stopped, its messages printed), the process leaves
with ``os._exit`` after flushing its standard streams: tearing down an interpreter that holds pandas, matplotlib,
nbconvert and papermill takes about 0.3 s of CPU and has nothing left to do. Argument errors (argparse's exit)
leave the ordinary way.
"""
import os
import sys

from analysis.cli import main

code = main()
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
