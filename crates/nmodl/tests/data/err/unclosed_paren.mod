NEURON {
    SUFFIX paren
}

ASSIGNED { x y }

BREAKPOINT {
    x = (y + 1
    y = 2
}
