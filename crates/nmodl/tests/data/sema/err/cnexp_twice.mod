: nocmodl renames `cnexp` after its first use, so a second `cnexp` is rejected;
: integrating two DERIVATIVE blocks in BREAKPOINT is only a warning
NEURON { SUFFIX ct }
STATE { m n }
ASSIGNED { v }
INITIAL { SOLVE states METHOD cnexp }
BREAKPOINT {
    SOLVE states METHOD cnexp
    SOLVE other METHOD derivimplicit
}
DERIVATIVE states { m' = 1 - m }
DERIVATIVE other { n' = 1 - n }
