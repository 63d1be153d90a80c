: Writes through a POINTER (Neurite's reference case for POINTER
: write-through, tests/hoc_scripts/pointer/pointer_write.hoc): INITIAL and
: each NET_RECEIVE record what the POINTER p reads in `seen`; each event adds
: its weight to p, so the variable p is bound to changes (an IClamp's amp, a
: concentration).
NEURON {
    POINT_PROCESS PtrAcc
    POINTER p
    RANGE seen, n
}
ASSIGNED {
    p
    seen
    n
}
INITIAL {
    seen = p
    n = 0
}
NET_RECEIVE (w) {
    seen = p
    p = p + w
    n = n + 1
}
