TITLE three-state kinetic channel with conservation (Neurite test fixture)

NEURON {
    SUFFIX kin3
    USEION k READ ek WRITE ik
    RANGE gbar, g
    GLOBAL a0, b0
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 0.01 (S/cm2)
    a0 = 0.2 (/ms)
    b0 = 0.1 (/ms)
    vhalf = -30 (mV)
}

ASSIGNED {
    v (mV)
    ek (mV)
    ik (mA/cm2)
    g (S/cm2)
    a (/ms)
    b (/ms)
}

STATE { C1 C2 O }

BREAKPOINT {
    SOLVE scheme METHOD sparse
    g = gbar*O
    ik = g*(v - ek)
}

INITIAL {
    SOLVE scheme STEADYSTATE sparse
}

KINETIC scheme {
    rates(v)
    ~ C1 <-> C2 (a, b)
    ~ C2 <-> O (2*a, b)
    CONSERVE C1 + C2 + O = 1
}

PROCEDURE rates(v (mV)) {
    a = a0*exp((v - vhalf)/20)
    b = b0*exp(-(v - vhalf)/20)
}
