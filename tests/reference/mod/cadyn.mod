: A calcium concentration that follows v (Neurite's reference case for ion
: variables as POINTER targets, transfer and NetCon sources):
: cai' = (base + gain*(v + 65) - cai)/tau.
NEURON {
    SUFFIX cadyn
    USEION ca WRITE cai
    RANGE tau, base, gain
}
UNITS {
    (mV) = (millivolt)
    (mM) = (milli/liter)
}
PARAMETER {
    tau = 5 (ms)
    base = 5e-5 (mM)
    gain = 1e-5 (mM/mV)
}
ASSIGNED {
    v (mV)
}
STATE {
    cai (mM)
}
INITIAL {
    cai = base
}
BREAKPOINT {
    SOLVE states METHOD cnexp
}
DERIVATIVE states {
    cai' = (base + gain*(v + 65) - cai)/tau
}
