"""The kit's colours: one per compared group, the same on every page and figure (no matplotlib needed here, so
HTML pages can use them without loading it).

Okabe & Ito (2008), "Color Universal Design": a qualitative palette that stays distinguishable under the common
forms of colour blindness. Group A is always blue, group B always vermillion, whatever the groups are called.
"""
from __future__ import annotations

OKABE_ITO = {
    "blue": "#0072B2", "vermillion": "#D55E00", "bluish_green": "#009E73", "orange": "#E69F00",
    "sky_blue": "#56B4E9", "reddish_purple": "#CC79A7", "yellow": "#F0E442", "black": "#000000",
}
GROUP_A_COLOR = OKABE_ITO["blue"]
GROUP_B_COLOR = OKABE_ITO["vermillion"]
OTHER_COLORS = [OKABE_ITO[k] for k in ("bluish_green", "orange", "sky_blue", "reddish_purple", "yellow", "black")]
