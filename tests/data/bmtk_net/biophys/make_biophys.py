#!/usr/bin/env python3
"""A BMTK network whose post cell is a biophysical Allen model, and bmtool's numbers.

bmtk 1.2.0's NetworkBuilder makes `bio`: two cells of model_type biophysical,
model_template ctdb:Biophys1.hoc, bmtk's own morphology Nr5a1_471087815_m.swc and fit
472363762_fit.json (both ship in the bmtk wheel, under bmtk/utils/scripts/bionet;
the Rust test writes a config pointing at them), one with model_processing
aibs_perisomatic, one with aibs_allactive; and a virtual `inp` cell driving each
through AMPA_NMDA_STP (../components/synaptic_models/Exc2PV.json) on section 10 of
its `all` list.

bmtool cannot build such a cell from a config (it calls the model_template as a
template name), so the cell is built here as bmtk's bionet builds it: Biophys1 on the
morphology (NEURON's import3d.hoc), its processing function (the axon replaced by a
stub, then the fit's parameters), nseg = 1 + 2*int(L/(2*dL)) with the config's dL = 20; then
bmtool 0.8.7's SynapseTuner runs its SingleEvent on it (`hoc_cell=`) with the
connection's settings as bmtool builds them from the config, and the numbers go to
bmtool_biophys.json.

Usage (bmtk==1.2.0, bmtool==0.8.7, NEURON 8.2.4, e.g. /work/venv-bmtool):
    PYTHONHASHSEED=0 /work/venv-bmtool/bin/python tests/data/bmtk_net/biophys/make_biophys.py
"""

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(HERE))))
MORPHOLOGY = "Nr5a1_471087815_m.swc"
FIT = "472363762_fit.json"
DL = 20.0
SEC_ID = 10
GENERAL = {"tstart": 100.0, "tdur": 50.0}
PROCESSING = {"Bio": "aibs_perisomatic", "BioAA": "aibs_allactive"}


def bionet_dir():
    import bmtk

    return os.path.join(os.path.dirname(bmtk.__file__), "utils", "scripts", "bionet")


def build():
    from bmtk.builder.networks import NetworkBuilder

    net = os.path.join(HERE, "network")
    shutil.rmtree(net, ignore_errors=True)
    bio = NetworkBuilder("bio")
    for pop, processing in PROCESSING.items():
        bio.add_nodes(N=1, pop_name=pop, model_type="biophysical",
                      model_template="ctdb:Biophys1.hoc", model_processing=processing,
                      morphology=MORPHOLOGY, dynamics_params=FIT)
    bio.build()
    bio.save(output_dir=net)
    inp = NetworkBuilder("inp")
    inp.add_nodes(N=1, pop_name="Inp", model_type="virtual")
    for pop in PROCESSING:
        cm = inp.add_edges(source=inp.nodes(), target=bio.nodes(pop_name=pop),
                           connection_rule=1, syn_weight=1.0, delay=1.0,
                           dynamics_params="Exc2PV.json", model_template="AMPA_NMDA_STP")
        cm.add_properties(["afferent_section_id", "afferent_section_pos"],
                          rule=lambda s, t: (SEC_ID, 0.5), dtypes=[np.int32, np.float64])
    inp.build()
    inp.save(output_dir=net)


def config(dir_):
    """The config the Rust test writes too: network here, components in the wheel."""
    bionet = bionet_dir()
    net = os.path.join(HERE, "network")
    cfg = {
        "manifest": {"$BASE_DIR": "${configdir}"},
        "run": {"dL": DL},
        "components": {
            "mechanisms_dir": os.path.join(dir_, "mechanisms"),
            "templates_dir": os.path.join(ROOT, "templates"),
            "synaptic_models_dir": os.path.join(HERE, "..", "components", "synaptic_models"),
            "morphologies_dir": os.path.join(bionet, "morphologies"),
            "biophysical_neuron_models_dir": os.path.join(bionet, "biophysical_neuron_models"),
        },
        "networks": {
            "nodes": [{"nodes_file": os.path.join(net, f"{p}_nodes.h5"),
                       "node_types_file": os.path.join(net, f"{p}_node_types.csv")}
                      for p in ("bio", "inp")],
            "edges": [{"edges_file": os.path.join(net, "inp_bio_edges.h5"),
                       "edge_types_file": os.path.join(net, "inp_bio_edge_types.csv")}],
        },
    }
    path = os.path.join(dir_, "simulation_config.json")
    with open(path, "w") as f:
        json.dump(cfg, f, indent=2)
    return path


def mechanisms(dir_):
    """bmtk's channels and Neurite's AMPA_NMDA_STP, compiled together."""
    mods = os.path.join(dir_, "mechanisms")
    os.makedirs(mods)
    src = os.path.join(bionet_dir(), "mechanisms", "modfiles")
    for name in os.listdir(src):
        if name.endswith(".mod") and name != "vecevent.mod":
            shutil.copy(os.path.join(src, name), mods)
    shutil.copy(os.path.join(ROOT, "mod_files", "AMPA_NMDA_STP.mod"), mods)
    nrnivmodl = os.path.join(os.path.dirname(sys.executable), "nrnivmodl")
    subprocess.run([nrnivmodl], cwd=mods, check=True, capture_output=True)
    return mods


def bmtk_cell(h, processing):
    from bmtk.simulator.bionet.default_setters import cell_models

    h.load_file("import3d.hoc")
    import bmtk
    h.load_file(os.path.join(os.path.dirname(bmtk.__file__), "simulator", "bionet",
                             "default_templates", "Biophys1.hoc"))
    hobj = h.Biophys1(os.path.join(bionet_dir(), "morphologies", MORPHOLOGY))
    with open(os.path.join(bionet_dir(), "biophysical_neuron_models", FIT)) as f:
        getattr(cell_models, processing)(hobj, None, json.load(f))
    for sec in hobj.all:
        sec.nseg = 1 + 2 * int(sec.L / (2 * DL))
    return hobj


def single_event(h, name, conn, processing):
    from bmtool.synapses import SynapseTuner

    bmtool_post_cell = conn["spec_settings"]["post_cell"]
    hobj = bmtk_cell(h, processing)
    sections = [s.name() for s in hobj.all]
    conn = json.loads(json.dumps(conn))
    conn["spec_settings"]["post_cell"] = "Biophys1"
    with contextlib.redirect_stdout(io.StringIO()):
        tuner = SynapseTuner(conn_type_settings={name: conn}, connection=name,
                             hoc_cell=hobj, general_settings=GENERAL)
        props = []
        get = tuner._get_syn_prop
        tuner._get_syn_prop = lambda *a, **k: props.append(get(*a, **k)) or props[-1]
        integral = []
        trapz = np.trapz
        np.trapz = lambda *a, **k: integral.append(trapz(*a, **k)) or integral[-1]
        try:
            tuner.SingleEvent(plot_and_print=False)
        finally:
            np.trapz = trapz
    row = {k: float(v) for k, v in props[0].items()}
    row["integral"] = float(integral[0])
    return {
        "model_processing": processing,
        "bmtool_post_cell": bmtool_post_cell,
        "synapse_section": sections[SEC_ID],
        "sections": len(sections),
        "nseg": int(sum(s.nseg for s in hobj.all)),
        "single_event": row,
    }


def main():
    build()
    tmp = tempfile.mkdtemp(prefix="neurite-bmtk-biophys-")
    mods = mechanisms(tmp)
    cfg = config(tmp)
    import neuron
    from neuron import h
    from bmtool.synapses import SynapseTuner

    neuron.load_mechanisms(mods)
    h.load_file("stdrun.hoc")
    with contextlib.redirect_stdout(io.StringIO()):
        t = SynapseTuner.__new__(SynapseTuner)
        t._syn_params_cache = {}
        settings = t._build_conn_type_settings_from_config(cfg)
    from importlib.metadata import version
    out = {
        "bmtool_version": version("bmtool"),
        "bmtk_version": version("bmtk"),
        "neuron_version": h.nrnversion(),
        "morphology": MORPHOLOGY,
        "dynamics_params": FIT,
        "dL": DL,
        "general_settings": GENERAL,
        "connections": {},
    }
    # One edge type per target population, made in PROCESSING's order.
    for (name, conn), processing in zip(settings.items(), PROCESSING.values()):
        out["connections"][name] = single_event(h, name, conn, processing)
    with open(os.path.join(HERE, "bmtool_biophys.json"), "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
