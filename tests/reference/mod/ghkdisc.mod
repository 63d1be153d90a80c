: nrn_ghk and state_discontinuity in one point process (Neurite's reference
: case, tests/reference/pointer_reference.py): `flux` is NEURON's GHK
: current density for a calcium-like ion at the node's v; each event adds
: its weight to the decaying state `s` through state_discontinuity.
NEURON {
    POINT_PROCESS GhkDisc
    RANGE tau, flux, s
}
PARAMETER {
    tau = 3 (ms)
}
ASSIGNED {
    v (mV)
    flux
}
STATE {
    s
}
INITIAL {
    s = 0
}
BREAKPOINT {
    SOLVE decay METHOD cnexp
    flux = nrn_ghk(v, 5e-5, 2, 2) + nrn_ghk(v*1e-6, 1, 1.5, 1)
}
DERIVATIVE decay {
    s' = -s/tau
}
NET_RECEIVE(w) {
    state_discontinuity(s, s + w)
}
