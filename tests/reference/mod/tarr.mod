: Neurite test mechanism: a TABLE whose outputs are arrays (one row per
: element), rebuilt when celsius, its DEPEND value, changes.

NEURON {
    SUFFIX tarr
    NONSPECIFIC_CURRENT i
    RANGE g, e
    GLOBAL inf, tau
}

UNITS {
    (mV) = (millivolt)
    (mA) = (milliamp)
    (S) = (siemens)
}

PARAMETER {
    g = 0.003 (S/cm2)
    e = -80 (mV)
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
    celsius (degC)
    inf[3]
    tau[3] (ms)
}

STATE { ga gb gc }

INITIAL {
    rates(v)
    ga = inf[0]
    gb = inf[1]
    gc = inf[2]
}

BREAKPOINT {
    SOLVE gates METHOD cnexp
    i = g*(ga*ga*gb + 0.3*gc)*(v - e)
}

DERIVATIVE gates {
    rates(v)
    ga' = (inf[0] - ga)/tau[0]
    gb' = (inf[1] - gb)/tau[1]
    gc' = (inf[2] - gc)/tau[2]
}

PROCEDURE rates(v (mV)) {
    LOCAL k, q
    TABLE inf, tau DEPEND celsius FROM -100 TO 60 WITH 160
    q = 3^((celsius - 20)/10)
    FROM k = 0 TO 2 {
        inf[k] = 1/(1 + exp((k*12 - 55 - v)/(4 + 2*k)))
        tau[k] = (0.4 + k + 3*exp(-((v + 45 - 5*k)/18)^2))/q
    }
}
