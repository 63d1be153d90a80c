: A DERIVATIVE block called as a procedure from INITIAL (nocmodl runs its
: statements; Neurite's reference case, tests/reference/pointer_reference.py).
NEURON {
    POINT_PROCESS DerivCall
    RANGE minf, tau
}
PARAMETER {
    tau = 2 (ms)
}
ASSIGNED {
    v (mV)
    minf
}
STATE {
    m
}
INITIAL {
    states()
    m = minf
}
BREAKPOINT {
    SOLVE states METHOD cnexp
}
DERIVATIVE states {
    rates(v)
    m' = (minf - m)/tau
}
PROCEDURE rates(v (mV)) {
    minf = 1/(1 + exp(-(v + 60)/5))
}
