NEURON {
    SUFFIX iff
}

ASSIGNED { x }

INITIAL {
    if (x > 0) x = 1
}
