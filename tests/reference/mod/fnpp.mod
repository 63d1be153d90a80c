: The same FUNCTIONs as fnenv.mod in a point process.
NEURON {
    POINT_PROCESS FnPP
    RANGE k
}
PARAMETER {
    k = 3
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
