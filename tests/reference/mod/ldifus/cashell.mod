TITLE cashell: calcium in radial shells that also diffuses along the cable (Neurite test file)

COMMENT
Written for Neurite's reference traces of LONGITUDINAL_DIFFUSION. The segment
is cut into NSH coaxial shells of equal thickness; shell 0 touches the
membrane and takes the calcium current. Calcium moves between neighbouring
shells and binds a mobile buffer; calcium, free and bound buffer all diffuse
along the cable, each with its own constant. Volumes and cross sections per
unit length are diam^2 times the fractions frac[] set in INITIAL. cacore,
cab0 and b1 show ca[NSH-1], CaB[0] and B[1] as the KINETIC solve leaves
them (before the step's diffusion).
ENDCOMMENT

NEURON {
    SUFFIX cashell
    USEION ca READ ica WRITE cai
    RANGE Dcal, Dbuff, ca0, btot, cacore, cab0, b1
}

DEFINE NSH 3

UNITS {
    (mM) = (milli/liter)
    (um) = (micron)
    (mA) = (milliamp)
    FARADAY = (faraday) (10000 coulomb)
    PI = (pi) (1)
}

PARAMETER {
    Dcal = 0.6 (um2/ms)
    Dbuff = 0.05 (um2/ms)
    kon = 50 (/mM-ms)
    koff = 0.5 (/ms)
    btot = 0.02 (mM)
    ca0 = 5e-5 (mM)
}

ASSIGNED {
    diam (um)
    ica (mA/cm2)
    cai (mM)
    frac[NSH]
    edge[NSH]
    cacore (mM)
    cab0 (mM)
    b1 (mM)
}

STATE {
    ca[NSH] (mM)
    B[NSH] (mM)
    CaB[NSH] (mM)
}

BREAKPOINT {
    SOLVE shells METHOD sparse
}

INITIAL {
    LOCAL rin, rout, h
    h = 0.5/NSH
    FROM i = 0 TO NSH-1 {
        rout = 0.5 - i*h
        rin = rout - h
        frac[i] = PI*(rout*rout - rin*rin)
        edge[i] = 2*PI*rin/h
    }
    FROM i = 0 TO NSH-1 {
        ca[i] = ca0
        B[i] = btot*koff/(koff + kon*ca0)
        CaB[i] = btot - B[i]
    }
    cai = ca0
}

KINETIC shells {
    COMPARTMENT i, diam*diam*frac[i] {ca B CaB}
    LONGITUDINAL_DIFFUSION i, Dcal*diam*diam*frac[i] {ca}
    LONGITUDINAL_DIFFUSION i, Dbuff*diam*diam*frac[i] {B CaB}
    ~ ca[0] << (-ica*PI*diam/(2*FARADAY))
    FROM i = 0 TO NSH-2 {
        ~ ca[i] <-> ca[i+1] (Dcal*edge[i], Dcal*edge[i])
    }
    FROM i = 0 TO NSH-1 {
        ~ ca[i] + B[i] <-> CaB[i] (kon*diam*diam*frac[i], koff*diam*diam*frac[i])
    }
    cai = ca[0]
    cacore = ca[NSH-1]
    cab0 = CaB[0]
    b1 = B[1]
}
