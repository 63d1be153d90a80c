NEURON {
    Suffix lower
}
