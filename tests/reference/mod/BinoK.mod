COMMENT
Neurite test mechanism: a potassium channel with a finite number of channels,
each opening and closing at random, written with the C idioms of the Blue
Brain stochastic channels (StochKv): a log-factorial in C at the top level
of the file (a static coefficient array, while and for loops), macros
(#define), a FUNCTION written wholly in C that draws a binomial count with
urand() from a hoc Random or a Random123 stream (for with continue and break,
do-while rejection loops nested in each other, an int C function, integer
division), and a VERBATIM check in INITIAL that NEURON skips without CVODE.
It checks that Neurite translates such C and runs it number for number as
NEURON does.

Each step, of the N0 closed channels bino(P_a, N0) open and of the N1 open
ones bino(P_b, N1) close (P = rate*dt). With deterministic = 1 the open
fraction follows n instead. nmoves counts every channel that moved.
ENDCOMMENT

NEURON {
    THREADSAFE
    SUFFIX BinoK
    USEION k READ ek WRITE ik
    RANGE gamma, gkbar, deterministic, N, N1, nmoves, halfN, ik, gk
    BBCOREPOINTER rng
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (pS) = (picosiemens)
    (S) = (siemens)
    (um) = (micron)
}

PARAMETER {
    gamma = 20 (pS)
    gkbar = 0.01 (S/cm2)
    deterministic = 0
}

ASSIGNED {
    v (mV)
    dt (ms)
    area (um2)
    ek (mV)
    ik (mA/cm2)
    gk (S/cm2)
    a (/ms)
    b (/ms)
    N
    N0
    N1
    nmoves
    halfN
    rng
    usingR123
}

STATE {
    n
}

VERBATIM
#define PI 3.14159265358979
#define HALF_LOG_2PI 0.918938533204672742
#define SMALL_N 16
#define SQ(x) ((x)*(x))

/* log(k!) by Stirling's series, after moving k+1 up to at least 8 */
static double logfact(double k) {
    static const double c[4] = {1.0/12.0, -1.0/360.0, 1.0/1260.0, -1.0/1680.0};
    double x = k + 1.0, shift = 0.0, s = 0.0, r, x2;
    int i;
    while (x < 8.0) {
        shift += log(x);
        x += 1.0;
    }
    x2 = 1.0/SQ(x);
    r = 1.0/x;
    for (i = 0; i < 4; ++i) {
        s += c[i]*r;
        r *= x2;
    }
    return (x - 0.5)*log(x) - x + HALF_LOG_2PI + s - shift;
}

static int nearest(double x) {
    return (int)(x + 0.5);
}
ENDVERBATIM

INITIAL {
VERBATIM
    if (cvode_active_ && !deterministic) {
        hoc_execerror("BinoK", "needs the fixed step");
    }
    if (usingR123) {
        nrnran123_setseq((nrnran123_State*)_p_rng, 0, 0);
    }
ENDVERBATIM
    rates(v)
    n = a/(a + b)
    N = floor(gkbar/gamma*1e4*area + 0.5)
    N1 = floor(n*N + 0.5)
    N0 = N - N1
    nmoves = 0
VERBATIM
    halfN = ((int)N) / 2;
ENDVERBATIM
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    gk = N1*gamma/area*1e-4
    ik = gk*(v - ek)
}

DERIVATIVE states {
    LOCAL up, down
    rates(v)
    n' = a - (a + b)*n
    if (deterministic) {
        N1 = n*N
        N0 = N - N1
    } else {
        up = bino(a*dt, N0)
        down = bino(b*dt, N1)
        N1 = N1 + up - down
        N0 = N - N1
        nmoves = nmoves + up + down
    }
}

PROCEDURE rates(v (mV)) {
    UNITSOFF
    a = 0.02*(v + 40)/(1 - exp(-(v + 40)/9))
    b = 0.002*(-v - 40)/(1 - exp((v + 40)/9))
    UNITSON
}

FUNCTION bino(p, n) {
VERBATIM
    int k, m;
    double q, mean, sd, x, y, lp, lq, lfn, prod, stop, accept;
    q = (_lp <= 0.5 ? _lp : 1.0 - _lp);
    mean = _ln*q;
    m = 0;
    if (_ln < SMALL_N) {
        for (k = 0; k < _ln; k++) {
            if (urand(_threadargs_) >= q) continue;
            m++;
        }
    } else if (mean < 1.0) {
        /* Poisson limit: multiply uniforms until below exp(-mean) */
        stop = exp(-mean);
        prod = 1.0;
        for (k = 0; k <= _ln; k++) {
            prod *= urand(_threadargs_);
            if (prod < stop) break;
        }
        m = (k <= _ln ? k : (int)_ln);
    } else {
        /* rejection under a Lorentzian envelope */
        sd = sqrt(2.0*mean*(1.0 - q));
        lp = log(q);
        lq = log(1.0 - q);
        lfn = logfact(_ln);
        do {
            do {
                y = tan(PI*urand(_threadargs_));
                x = sd*y + mean;
            } while (x < 0.0 || x >= _ln + 1.0);
            x = floor(x);
            accept = 1.2*sd*(1.0 + y*y)*exp(lfn - logfact(x) - logfact(_ln - x) + x*lp + (_ln - x)*lq);
        } while (urand(_threadargs_) > accept);
        m = nearest(x);
    }
    if (q != _lp) {
        m = (int)_ln - m;
    }
    return m;
ENDVERBATIM
    bino = m
}

PROCEDURE setRNG() {
VERBATIM
    usingR123 = 0;
    if (ifarg(1) && hoc_is_double_arg(1)) {
        nrnran123_State** pv = (nrnran123_State**)(&_p_rng);
        uint32_t a2 = 0;
        uint32_t a3 = 0;
        if (*pv) {
            nrnran123_deletestream(*pv);
            *pv = (nrnran123_State*)0;
        }
        if (ifarg(2)) {
            a2 = (uint32_t)*getarg(2);
        }
        if (ifarg(3)) {
            a3 = (uint32_t)*getarg(3);
        }
        *pv = nrnran123_newstream3((uint32_t)*getarg(1), a2, a3);
        usingR123 = 1;
    } else if (ifarg(1)) {
        void** pv = (void**)(&_p_rng);
        *pv = nrn_random_arg(1);
    } else {
        void** pv = (void**)(&_p_rng);
        *pv = (void*)0;
    }
ENDVERBATIM
}

FUNCTION urand() {
VERBATIM
    double value = 0.0;
    if (usingR123) {
        value = nrnran123_dblpick((nrnran123_State*)_p_rng);
    } else if (_p_rng) {
        value = nrn_random_pick((Rand*)_p_rng);
    }
    _lurand = value;
ENDVERBATIM
}

VERBATIM
static void bbcore_write(double* x, int* d, int* xx, int* offset, _threadargsproto_) {
}
static void bbcore_read(double* x, int* d, int* xx, int* offset, _threadargsproto_) {
}
ENDVERBATIM
