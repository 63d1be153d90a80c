TITLE pas: passive leak current

COMMENT
A linear membrane conductance g with reversal potential e: i = g*(v - e).
Neurite's own; names as NEURON's built-in `pas` (g_pas, e_pas, i_pas).
ENDCOMMENT

NEURON {
    SUFFIX pas
    NONSPECIFIC_CURRENT i
    RANGE g, e
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    g = 0.001 (S/cm2) <0, 1e9>
    e = -70 (mV)
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
}

BREAKPOINT {
    i = g*(v - e)
}
