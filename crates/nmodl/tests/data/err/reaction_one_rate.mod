NEURON {
    SUFFIX kin
}

STATE { A B }

BREAKPOINT {
    SOLVE scheme METHOD sparse
}

KINETIC scheme {
    ~ A <-> B (0.1)
}
