NEURON {
    SUFFIX stray
}

foo = 1

PARAMETER {
    a = 1
}
