TITLE Gap: one side of an ohmic gap junction

COMMENT
A point process carrying the current through a gap junction of conductance g
from the local membrane potential v to the potential vgap on the other side:

  i = g*(v - vgap)     (outward positive, NONSPECIFIC_CURRENT)

A junction between two cells is a pair of Gap point processes, one on each side.
vgap is a RANGE variable that NEURON's ParallelContext fills in before every
time step: pc.source_var(sec(x)._ref_v, id) publishes the other side's v and
pc.target_var(gap._ref_vgap, id) makes vgap a copy of it (pc.setup_transfer()
after all the calls). Each side then sees g*(v - vgap) leave its membrane, so
the net current from cell 1 to cell 2 is g*(v1 - v2) and both sides are
symmetric. The junction is ohmic and instantaneous (Bennett and Zukin 2004,
Neuron 41:495-511 for the physiology).

Neurite's own. Names and units (g in uS, vgap in mV, i in nA, default
g = 0.001 uS) are those of the Gap mechanism in bmtool's gap-junction tuner,
which writes the same current as an ELECTRODE_CURRENT i = g*(vgap - v): the
membrane sees the same current, only the sign of the recorded i is opposite.
ENDCOMMENT

NEURON {
    POINT_PROCESS Gap
    RANGE g, i, vgap
    NONSPECIFIC_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    g = 0.001 (uS)
}

ASSIGNED {
    v (mV)
    vgap (mV)
    i (nA)
}

BREAKPOINT {
    i = g*(v - vgap)
}
