: FUNCTIONs that read NEURON's variables (Neurite's reference case for
: FUNCTIONs called from HOC before finitialize, tests/hoc_scripts/calls/).
NEURON {
    SUFFIX fnenv
    RANGE k
}
PARAMETER {
    k = 2
}
ASSIGNED {
    v (mV)
    celsius (degC)
    dt (ms)
}
FUNCTION temp() {
    temp = celsius*k
}
FUNCTION volt() {
    volt = v*k
}
FUNCTION gdt() {
    gdt = dt*k
}
