: Neurite test mechanism: every BEFORE/AFTER block NEURON runs, each stamping
: a running count, v and t, so that the order of the blocks and the point in
: the step where each one runs show in the recorded values. BEFORE STEP turns
: a current on after 1 ms; the calcium current it writes is added to the ion
: once more at the end of each BEFORE/AFTER block, as nocmodl's code does.

NEURON {
    SUFFIX baseq
    USEION ca WRITE ica
    NONSPECIFIC_CURRENT i
    RANGE g, e, gca, drive, cnt
    RANGE kbi, kin, kai, kbb, kst, kas, kbs
    RANGE vbi, vai, vbb, vas, vbs, tbb, tas, tbs, sas
}

UNITS {
    (mV) = (millivolt)
    (mA) = (milliamp)
    (S) = (siemens)
}

PARAMETER {
    g = 0.0005 (S/cm2)
    e = 20 (mV)
    gca = 1e-5 (S/cm2)
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
    ica (mA/cm2)
    drive
    cnt
    kbi kin kai kbb kst kas kbs
    vbi (mV)
    vai (mV)
    vbb (mV)
    vas (mV)
    vbs (mV)
    tbb (ms)
    tas (ms)
    tbs (ms)
    sas
}

STATE { s }

BEFORE INITIAL {
    cnt = 0
    kbi = cnt
    vbi = v
    drive = 0
}

INITIAL {
    cnt = cnt + 1
    kin = cnt
    s = 0.1
}

AFTER INITIAL {
    cnt = cnt + 1
    kai = cnt
    vai = v
}

BEFORE BREAKPOINT {
    cnt = cnt + 1
    kbb = cnt
    vbb = v
    tbb = t
}

BREAKPOINT {
    SOLVE relax METHOD cnexp
    i = g*s*drive*(v - e)
    ica = gca*(v - 60)
}

DERIVATIVE relax {
    cnt = cnt + 1
    kst = cnt
    s' = (1 - s)/3
}

AFTER SOLVE {
    cnt = cnt + 1
    kas = cnt
    vas = v
    tas = t
    sas = s
}

BEFORE STEP {
    cnt = cnt + 1
    kbs = cnt
    vbs = v
    tbs = t
    if (t >= 1.0125) {
        drive = 1
    }
}
