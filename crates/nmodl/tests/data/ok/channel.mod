TITLE A made-up sodium-like channel for parser tests
COMMENT
Written for Neurite's parser tests. Exercises the blocks a
Hodgkin-Huxley style density channel uses.
ENDCOMMENT

? a question-mark comment
NEURON {
    SUFFIX testna : trailing comment
    USEION na READ ena WRITE ina
    NONSPECIFIC_CURRENT il
    RANGE gbar, gl, el, ina
    GLOBAL minf, hinf, mtau, htau
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = .12 (S/cm2) <0,1e9>
    gl = 3e-4 (S/cm2)
    el = -54.3 (mV)
    q10base = 3
    celsius (degC)
}

STATE {
    m FROM 0 TO 1
    h
}

ASSIGNED {
    v (mV)
    ena (mV)
    ina (mA/cm2)
    il (mA/cm2)
    minf hinf
    mtau (ms) htau (ms)
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    ina = gbar*m*m*m*h*(v - ena)
    il = gl*(v - el)
}

INITIAL {
    rates(v)
    m = minf
    h = hinf
}

DERIVATIVE states {
    rates(v)
    m' = (minf - m)/mtau
    h' = (hinf - h)/htau
}

PROCEDURE rates(v (mV)) {
    LOCAL a, b, q
    TABLE minf, hinf, mtau, htau DEPEND celsius FROM -100 TO 100 WITH 200
    UNITSOFF
    q = q10base^((celsius - 6.3)/10)
    a = .1 * vtrap(-(v + 40), 10)
    b = 4 * exp(-(v + 65)/18)
    mtau = 1/(q*(a + b))
    minf = a*mtau*q
    a = .07*exp(-(v+65)/20)
    b = 1/(exp(-(v + 35)/10) + 1)
    htau = 1/(q*(a + b))
    hinf = a/(a + b)
    UNITSON
}

FUNCTION vtrap(x, y) (1) {
    if (fabs(x/y) < 1e-6) {
        vtrap = y*(1 - x/y/2)
    } else if (x > 1000) {
        vtrap = x
    } else {
        vtrap = x/(exp(x/y) - 1)
    }
}
