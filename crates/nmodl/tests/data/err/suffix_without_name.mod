NEURON {
    SUFFIX {
}
