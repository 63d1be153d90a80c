NEURON {
    SUFFIX dollar
}

ASSIGNED { x }

BREAKPOINT {
    x = 1 $ 2
}
