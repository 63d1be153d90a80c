: CONSERVE and `<<` fluxes take only STATEs; an empty KINETIC and DERIVATIVE
NEURON { SUFFIX kr }
STATE { c o }
ASSIGNED { v x }
BREAKPOINT { SOLVE k METHOD sparse }
KINETIC k {
    ~ c <-> o (1, 2)
    ~ x << (1)
    CONSERVE c + o + x = 1
}
KINETIC none { x = 1 }
DERIVATIVE nothing { x = 2 }
