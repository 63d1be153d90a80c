: A one-way gap junction through a POINTER: the current depends on the
: voltage `vpre` that `setpointer` binds (Neurite's reference case for
: POINTER variables, tests/reference/pointer_reference.py).
NEURON {
    POINT_PROCESS PtrGap
    POINTER vpre
    RANGE g, i, seen
    NONSPECIFIC_CURRENT i
}
UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}
PARAMETER {
    g = 0.01 (uS)
}
ASSIGNED {
    v (mV)
    vpre (mV)
    i (nA)
    seen (mV)
}
INITIAL {
    seen = vpre
}
BREAKPOINT {
    i = g*(v - vpre)
}
