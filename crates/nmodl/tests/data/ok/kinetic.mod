TITLE Made-up calcium diffusion with a buffer and a pump, for parser tests

DEFINE NSHELL 4

NEURON {
    SUFFIX testcad
    USEION ca READ cao, cai, ica WRITE cai, ica
    RANGE ica_pump
    GLOBAL vrat
}

UNITS {
    (molar) = (1/liter)
    (mM) = (millimolar)
    (um) = (micron)
    (mA) = (milliamp)
    FARADAY = (faraday) (10000 coulomb)
    PI = (pi) (1)
    R = (k-mole) (joule/degC)
}

PARAMETER {
    DCa = 0.6 (um2/ms)
    k1buf = 100 (/mM-ms)
    k2buf = 0.1 (/ms)
    TotalBuffer = 0.003 (mM)
    kf = 1e8 (mM-1 ms-1)
}

ASSIGNED {
    diam (um)
    ica (mA/cm2)
    cai (mM)
    cao (mM)
    ica_pump (mA/cm2)
    vrat[NSHELL]
    Kd (/mM)
    B0 (mM)
}

STATE {
    ca[NSHELL] (mM) <1e-10>
    CaBuffer[NSHELL] (mM)
    Buffer[NSHELL] (mM)
    pump (mol/cm2)
    pumpca (mol/cm2)
}

LOCAL factors_done

BREAKPOINT {
    SOLVE state METHOD sparse
}

INITIAL {
    MUTEXLOCK
    if (factors_done == 0) {
        factors_done = 1
        factors()
    }
    MUTEXUNLOCK
    Kd = k1buf/k2buf
    B0 = TotalBuffer/(1 + Kd*cai)
    FROM i = 0 TO NSHELL - 1 {
        ca[i] = cai
        Buffer[i] = B0
        CaBuffer[i] = TotalBuffer - B0
    }
}

LOCAL frat[NSHELL]

PROCEDURE factors() {
    LOCAL r, dr2
    r = 1/2
    dr2 = r/(NSHELL - 1)/2
    vrat[0] = 0
    frat[0] = 2*r
    FROM i = 0 TO NSHELL - 2 BY 1 {
        vrat[i] = vrat[i] + PI*(r - dr2/2)*2*dr2
        r = r - dr2
    }
}

LOCAL dsq, dsqvol

KINETIC state {
    COMPARTMENT i, diam*diam*vrat[i] {ca CaBuffer Buffer}
    COMPARTMENT (1e10)*diam {pump pumpca}
    LONGITUDINAL_DIFFUSION i, DCa*diam*diam*vrat[i] {ca}
    ~ ca[0] + pump <-> pumpca (kf*diam, 0.1)
    ~ pumpca <-> pump + cao (0.2, 0)
    CONSERVE pump + pumpca = (1e10)*diam
    ica_pump = 2*FARADAY*(f_flux - b_flux)/diam
    ~ ca[0] << (-(ica - ica_pump)*PI*diam/(2*FARADAY))
    FROM i = 0 TO NSHELL - 2 {
        ~ ca[i] <-> ca[i+1] (DCa*frat[i+1], DCa*frat[i+1])
    }
    dsq = diam*diam
    FROM i = 0 TO NSHELL - 1 {
        dsqvol = dsq*vrat[i]
        ~ ca[i] + Buffer[i] <-> CaBuffer[i] (k1buf*dsqvol, k2buf*dsqvol)
    }
    ~ 2 Buffer[0] -> (0.01)
    cai = ca[0]
}
