: Neurite test mechanism: a file without currents whose BREAKPOINT solves
: by derivimplicit and then updates two variables with dt. Without currents
: the whole BREAKPOINT runs in nocmodl's nrn_state, where under secondorder > 0
: dt is halved for a file that solves by derivimplicit: the updates see dt/2.

NEURON {
    SUFFIX dimix
    RANGE a, b, c
}

UNITS {
    (mV) = (millivolt)
    (mA) = (milliamp)
    (S) = (siemens)
}

PARAMETER {
    taub = 1.5 (ms)
    tauc = 4 (ms)
}

ASSIGNED {
    v (mV)
    b
    c
}

STATE { a }

INITIAL {
    a = 0.2
    b = 0.1
    c = 0
}

BREAKPOINT {
    SOLVE fa METHOD derivimplicit
    relax()
}

DERIVATIVE fa {
    : not linear in a
    a' = (1/(1 + exp(-(v + 40)/6)) - a*a)/2
}

PROCEDURE relax() {
    b = b + (1/(1 + exp(-(v + 50)/5)) - b)*(1 - exp(-dt/taub))
    c = c + dt*(a - c)/tauc
}
