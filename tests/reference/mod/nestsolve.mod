: SOLVE statements inside blocks (Neurite's reference case,
: tests/reference/pointer_reference.py): a KINETIC scheme solved to steady
: state inside an IF of INITIAL, and a LINEAR system solved from a PROCEDURE
: that the BREAKPOINT calls (as NEURON's expsynspine.mod does).
NEURON {
    POINT_PROCESS NestSolve
    RANGE k1, k2, steady, rsp, gsp, e, ii, vsp
    NONSPECIFIC_CURRENT i
}
UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}
PARAMETER {
    k1 = 0.3 (/ms)
    k2 = 0.1 (/ms)
    steady = 1
    rsp = 50 (megohm)
    gsp = 0.002 (uS)
    e = 0 (mV)
}
ASSIGNED {
    v (mV)
    i (nA)
    gb (uS)
}
STATE {
    a
    b
    ii (nA)
    vsp (mV)
}
INITIAL {
    a = 1
    b = 0
    if (steady > 0) {
        SOLVE kin STEADYSTATE sparse
    }
}
BREAKPOINT {
    SOLVE kin METHOD sparse
    gb = gsp*b
    spine()
    i = ii
}
KINETIC kin {
    ~ a <-> b (k1*(1 + 0.01*(v + 65)), k2)
}
PROCEDURE spine() {
    SOLVE spinesys
}
LINEAR spinesys SOLVEFOR ii, vsp {
    ~ rsp*ii = v - vsp
    ~ ii = gb*vsp - gb*e
}
