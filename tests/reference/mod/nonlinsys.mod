: A NONLINEAR block solved by Newton's method in INITIAL and at every step
: (Neurite's reference case, tests/reference/pointer_reference.py).
NEURON {
    POINT_PROCESS NonLinSys
    RANGE k
}
PARAMETER {
    k = 0.01 (/mV)
}
ASSIGNED {
    v (mV)
}
STATE {
    p
    q
}
INITIAL {
    p = 0.5
    q = 0.5
    SOLVE sys
}
BREAKPOINT {
    SOLVE sys
}
NONLINEAR sys {
    ~ p*p*p + q = 3 + k*(v + 65)
    ~ q*q - p = 1
}
