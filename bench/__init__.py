"""Benchmark of the kit against the tools its users would pick instead: ``python -m bench`` (or ``make bench``).

It measures, in one run, our counting + keyness pipeline and the baselines (scikit-learn CountVectorizer,
NLTK RegexpTokenizer + FreqDist, scattertext) on the same real corpus and the same token pattern, how time and
memory grow with the corpus (1x, 4x, 16x), and the seed report suite against its floor (papermill + nbconvert
on as many empty notebooks). Each measurement runs in a fresh spawned process, so its peak memory is its own.
``python -m bench --whole`` measures the whole report instead (:mod:`bench.whole`): full analysis and full
report of the prosecutors' corpus and of the DOJ press releases, the prosecutors' corpus replicated through the
full analysis, and scattertext's explorer end to end on the same groups, against the targets of issue 13.
The table is printed; the figures are also written as JSON under reports/bench/ (not committed).
"""
