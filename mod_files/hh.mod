TITLE hh: squid giant axon sodium, potassium and leak currents

COMMENT
Hodgkin, A. L. and Huxley, A. F. (1952) A quantitative description of membrane
current and its application to conduction and excitation in nerve. J. Physiol. 117:500-544.

Written for Neurite from the paper's equations, shifted to the modern sign
convention (resting potential near -65 mV, depolarisation positive). Names,
parameters, the temperature factor (Q10 = 3 around 6.3 degC) and the rate table
follow the conventions NEURON users know from its built-in `hh`, so models that
`insert hh` get the same behaviour.
ENDCOMMENT

NEURON {
    SUFFIX hh
    USEION na READ ena WRITE ina
    USEION k READ ek WRITE ik
    NONSPECIFIC_CURRENT il
    RANGE gnabar, gkbar, gl, el, gna, gk
    GLOBAL minf, hinf, ninf, mtau, htau, ntau
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gnabar = 0.12 (S/cm2) <0, 1e9>    : peak sodium conductance
    gkbar = 0.036 (S/cm2) <0, 1e9>    : peak potassium conductance
    gl = 0.0003 (S/cm2) <0, 1e9>      : leak conductance
    el = -54.3 (mV)                   : leak reversal potential
}

STATE {
    m    : sodium activation
    h    : sodium inactivation
    n    : potassium activation
}

ASSIGNED {
    v (mV)
    celsius (degC)
    ena (mV)
    ek (mV)
    gna (S/cm2)
    gk (S/cm2)
    ina (mA/cm2)
    ik (mA/cm2)
    il (mA/cm2)
    minf
    hinf
    ninf
    mtau (ms)
    htau (ms)
    ntau (ms)
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    gna = gnabar*m*m*m*h
    ina = gna*(v - ena)
    gk = gkbar*n*n*n*n
    ik = gk*(v - ek)
    il = gl*(v - el)
}

INITIAL {
    rates(v)
    m = minf
    h = hinf
    n = ninf
}

DERIVATIVE states {
    rates(v)
    m' = (minf - m)/mtau
    h' = (hinf - h)/htau
    n' = (ninf - n)/ntau
}

: Steady states and time constants of the three gates at membrane potential vm.
: Tabulated over -100..100 mV in 200 steps, recomputed when celsius changes.
PROCEDURE rates(vm (mV)) {
    LOCAL a, b, total, phi
    TABLE minf, mtau, hinf, htau, ninf, ntau DEPEND celsius FROM -100 TO 100 WITH 200
    UNITSOFF
    phi = 3^((celsius - 6.3)/10)

    a = 0.1*vtrap(-(vm + 40), 10)
    b = 4*exp(-(vm + 65)/18)
    total = a + b
    mtau = 1/(phi*total)
    minf = a/total

    a = 0.07*exp(-(vm + 65)/20)
    b = 1/(exp(-(vm + 35)/10) + 1)
    total = a + b
    htau = 1/(phi*total)
    hinf = a/total

    a = 0.01*vtrap(-(vm + 55), 10)
    b = 0.125*exp(-(vm + 65)/80)
    total = a + b
    ntau = 1/(phi*total)
    ninf = a/total
    UNITSON
}

: x/(exp(x/y) - 1), with its limit y*(1 - x/(2y)) near x = 0 where the quotient is 0/0.
FUNCTION vtrap(x, y) {
    if (fabs(x/y) < 1e-6) {
        vtrap = y*(1 - x/y/2)
    } else {
        vtrap = x/(exp(x/y) - 1)
    }
}
