"""Report layer: the report command, the notebook runner and its kernels, the HTML templates."""
