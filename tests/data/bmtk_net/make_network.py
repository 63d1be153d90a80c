#!/usr/bin/env python3
"""A small BMTK network for `neurite tune synapse --config simulation_config.json`.

Builds, with bmtk 1.2.0's NetworkBuilder, two populations and their edges:

  net     PV (2 cells, hoc:NeuriteHH) and Exc (3 cells, hoc:NeuritePassive):
          Neurite's own templates/neurite_cells.hoc
  extnet  Thal (2 virtual cells)

and edge types that exercise every rule bmtool 0.8.7 uses to name and set up a
connection (`SynapseTuner._build_conn_type_settings_from_config`):

  PV -> Exc    GABA_A_STP, dynamics PV2Exc.json, per-edge afferent_section_id/pos
  Exc -> PV    AMPA_NMDA_STP, dynamics Exc2PV.json, per-edge sec_id/sec_x
               (BMTK's older names, which bmtool does not read) and a per-edge
               syn_weight in the HDF5 file
  Exc -> Exc   AMPA_NMDA_STP, dynamics Exc2PV.json again (bmtool appends
               `_type_<edge_type_id>` to the repeated name), soma
  Thal -> Exc  Exp2Syn, no dynamics file (bmtool names it from the pop_names)

and, written with h5py as SONATA allows but NetworkBuilder never writes:

  virt_to_net  Thal -> PV (a key that names no node population: bmtool finds them
               from the `node_population` attributes), Exp2Syn with per-edge
               `dynamics_params/<name>` values, a per-edge text `model_template`
               overriding the CSV's and a per-edge `syn_weight`

Neurite's mod_files/ and templates/ are the config's mechanisms_dir and
templates_dir. Then runs bmtool 0.8.7 on the config (only its config reader: no
simulation) and records what it builds in bmtool_connections.json: the
connection names (`list_connections_from_config`) and the whole
conn_type_settings, which the Rust tests compare with Neurite's.

Last, bmtool's own SingleEvent (NEURON 8.2.4) on two of these connections as
bmtool builds them from the config (PV2Exc, Exc2PV_type_102), with the general
settings of tune_bmtool_mode.json; NEURON refuses duplicates of its built-in
mechanisms, so only Neurite's STP mod files are compiled (with nrnivmodl, in a
temporary folder) and loaded beside templates/neurite_cells.hoc. bmtool's numbers
go to bmtool_connections.json as `single_event`.

Usage (bmtk==1.2.0 and bmtool==0.8.7, e.g. /work/venv-bmtool):
    PYTHONHASHSEED=0 /work/venv-bmtool/bin/python tests/data/bmtk_net/make_network.py

(bmtk writes the types tables' columns in set order: the fixed hash seed keeps them
in one order.)
"""

import contextlib
import io
import json
import os
import shutil

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
NETWORK = os.path.join(HERE, "network")
SYN_DIR = os.path.join(HERE, "components", "synaptic_models")

PV2EXC = {
    "level_of_detail": "GABA_A_STP",
    "initW": 1.5,
    "tau_r_GABAA": 0.2,
    "tau_d_GABAA": 8.0,
    "Use": 0.3,
    "Dep": 400.0,
    "Fac": 0.0,
    "e_GABAA": -75.0,
}
EXC2PV = {
    "level_of_detail": "AMPA_NMDA_STP",
    "initW": 2.0,
    "tau_r_AMPA": 0.2,
    "tau_d_AMPA": 1.7,
    "tau_r_NMDA": 0.29,
    "tau_d_NMDA": 43.0,
    "Use": 0.3,
    "Dep": 100.0,
    "Fac": 50.0,
}


def build():
    from bmtk.builder.networks import NetworkBuilder

    net = NetworkBuilder("net")
    net.add_nodes(N=2, pop_name="PV", model_type="biophysical",
                  model_template="hoc:NeuriteHH")
    net.add_nodes(N=3, pop_name="Exc", model_type="biophysical",
                  model_template="hoc:NeuritePassive")

    pv2exc = net.add_edges(source={"pop_name": "PV"}, target={"pop_name": "Exc"},
                           connection_rule=1, syn_weight=1.0, delay=1.0,
                           dynamics_params="PV2Exc.json", model_template="GABA_A_STP")
    pv2exc.add_properties(["afferent_section_id", "afferent_section_pos"],
                          rule=lambda s, t: (1, 0.25) if t.node_id == 2 else (0, 0.5),
                          dtypes=[np.int32, np.float64])

    exc2pv = net.add_edges(source={"pop_name": "Exc"}, target={"pop_name": "PV"},
                           connection_rule=1, delay=2.0,
                           dynamics_params="Exc2PV.json", model_template="AMPA_NMDA_STP")
    exc2pv.add_properties(["sec_id", "sec_x", "syn_weight"],
                          rule=lambda s, t: (1, 0.75, 0.5 + 0.25 * s.node_id),
                          dtypes=[np.int32, np.float64, np.float64])

    net.add_edges(source={"pop_name": "Exc"}, target={"pop_name": "Exc"},
                  connection_rule=lambda s, t: 1 if s.node_id != t.node_id else 0,
                  syn_weight=3.0, delay=1.5,
                  dynamics_params="Exc2PV.json", model_template="AMPA_NMDA_STP")
    net.build()
    net.save(output_dir=NETWORK)

    ext = NetworkBuilder("extnet")
    ext.add_nodes(N=2, pop_name="Thal", model_type="virtual")
    ext.add_edges(source=ext.nodes(), target=net.nodes(pop_name="Exc"),
                  connection_rule=1, syn_weight=0.004, delay=2.5,
                  model_template="Exp2Syn")
    ext.build()
    ext.save(output_dir=NETWORK)


def virt_edges():
    import h5py

    with open(os.path.join(NETWORK, "virt_net_edge_types.csv"), "w") as f:
        f.write("edge_type_id target_query source_query model_template delay\n")
        f.write("200 pop_name=='PV' * Exp2Syn 2.0\n")
    with h5py.File(os.path.join(NETWORK, "virt_net_edges.h5"), "w") as h5:
        pop = h5.create_group("edges/virt_to_net")
        n = 4
        src = pop.create_dataset("source_node_id", data=np.array([0, 1, 0, 1], dtype=np.uint64))
        src.attrs["node_population"] = "extnet"
        tgt = pop.create_dataset("target_node_id", data=np.array([0, 0, 1, 1], dtype=np.uint64))
        tgt.attrs["node_population"] = "net"
        pop.create_dataset("edge_type_id", data=np.full(n, 200, dtype=np.uint32))
        pop.create_dataset("edge_group_id", data=np.zeros(n, dtype=np.uint16))
        pop.create_dataset("edge_group_index", data=np.arange(n, dtype=np.uint32))
        group = pop.create_group("0")
        group.create_dataset("syn_weight", data=np.array([0.002, 0.003, 0.002, 0.003]))
        # Fixed-length: bmtool decodes those (a variable-length one reaches it as bytes).
        group.create_dataset("model_template", data=np.array([b"exp2syn"] * n))
        dyn = group.create_group("dynamics_params")
        dyn.create_dataset("tau1", data=np.full(n, 0.5))
        dyn.create_dataset("tau2", data=np.full(n, 5.0))
        dyn.create_dataset("e", data=np.full(n, -10.0))


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


def configs():
    os.makedirs(SYN_DIR, exist_ok=True)
    write_json(os.path.join(SYN_DIR, "PV2Exc.json"), PV2EXC)
    write_json(os.path.join(SYN_DIR, "Exc2PV.json"), EXC2PV)
    write_json(os.path.join(HERE, "circuit_config.json"), {
        "manifest": {
            "$BASE_DIR": "${configdir}",
            "$NETWORK_DIR": "$BASE_DIR/network",
            "$COMPONENTS_DIR": "$BASE_DIR/components",
            "$NEURITE_DIR": "$BASE_DIR/../../..",
        },
        "components": {
            "mechanisms_dir": "$NEURITE_DIR/mod_files",
            "templates_dir": "$NEURITE_DIR/templates",
            "synaptic_models_dir": "$COMPONENTS_DIR/synaptic_models",
            "biophysical_neuron_models_dir": "$COMPONENTS_DIR/biophysical_neuron_models",
            "morphologies_dir": "$COMPONENTS_DIR/morphologies",
        },
        "networks": {
            "nodes": [
                {"nodes_file": "$NETWORK_DIR/net_nodes.h5",
                 "node_types_file": "$NETWORK_DIR/net_node_types.csv"},
                {"nodes_file": "$NETWORK_DIR/extnet_nodes.h5",
                 "node_types_file": "$NETWORK_DIR/extnet_node_types.csv"},
            ],
            "edges": [
                {"edges_file": "$NETWORK_DIR/net_net_edges.h5",
                 "edge_types_file": "$NETWORK_DIR/net_net_edge_types.csv"},
                {"edges_file": "$NETWORK_DIR/extnet_net_edges.h5",
                 "edge_types_file": "$NETWORK_DIR/extnet_net_edge_types.csv"},
                {"edges_file": "$NETWORK_DIR/virt_net_edges.h5",
                 "edge_types_file": "$NETWORK_DIR/virt_net_edge_types.csv"},
            ],
        },
    })
    write_json(os.path.join(HERE, "simulation_config.json"), {
        "manifest": {"$BASE_DIR": "${configdir}", "$OUTPUT_DIR": "$BASE_DIR/output"},
        "target_simulator": "NEURON",
        "run": {"tstop": 1000.0, "dt": 0.025, "dL": 20.0, "spike_threshold": -15.0},
        "conditions": {"celsius": 34.0, "v_init": -70.0},
        "output": {"output_dir": "$OUTPUT_DIR", "log_file": "log.txt",
                   "spikes_file": "spikes.h5"},
        "network": "$BASE_DIR/circuit_config.json",
    })


def bmtool_connections():
    from bmtool.synapses import SynapseTuner

    config = os.path.join(HERE, "simulation_config.json")
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet):
        listing = SynapseTuner.list_connections_from_config(config)
        tuner = SynapseTuner.__new__(SynapseTuner)
        tuner._syn_params_cache = {}
        settings = tuner._build_conn_type_settings_from_config(config)
        networks = {}
        for net in ("net_to_net", "extnet_to_net", "virt_to_net"):
            t = SynapseTuner.__new__(SynapseTuner)
            t._syn_params_cache = {}
            networks[net] = list(t._build_conn_type_settings_from_config(config, network=net))

    def plain(v):
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, (np.integer,)):
            return int(v)
        if isinstance(v, (np.floating,)):
            return float(v)
        return v

    import bmtk
    import bmtool
    from importlib.metadata import version
    write_json(os.path.join(HERE, "bmtool_connections.json"), {
        "bmtool_version": version("bmtool"),
        "bmtk_version": bmtk.__version__,
        "config": "simulation_config.json",
        "connections": list(listing),
        "networks": networks,
        "conn_type_settings": plain(settings),
        "single_event": bmtool_single_event(plain(settings)),
    })
    del bmtool


SINGLE_EVENT = ["PV2Exc", "Exc2PV_type_102"]


def bmtool_single_event(settings):
    """bmtool's SingleEvent metrics (its `_get_syn_prop` and integral) per connection."""
    import subprocess
    import sys
    import tempfile

    from bmtool.synapses import SynapseTuner
    from neuron import h

    with open(os.path.join(HERE, "tune_bmtool_mode.json")) as f:
        general = json.load(f)["general_settings"]
    root = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
    mods = tempfile.mkdtemp(prefix="neurite-bmtk-net-mods-")
    for name in ("AMPA_NMDA_STP.mod", "GABA_A_STP.mod"):
        shutil.copy(os.path.join(root, "mod_files", name), mods)
    nrnivmodl = os.path.join(os.path.dirname(sys.executable), "nrnivmodl")
    subprocess.run([nrnivmodl], cwd=mods, check=True, capture_output=True)
    template = os.path.join(root, "templates", "neurite_cells.hoc")
    out = {}
    for name in SINGLE_EVENT:
        with contextlib.redirect_stdout(io.StringIO()):
            tuner = SynapseTuner(conn_type_settings=settings, connection=name,
                                 mechanisms_dir=mods, templates_dir=template,
                                 general_settings=general)
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
        out[name] = row
    shutil.rmtree(mods, ignore_errors=True)
    return {"neuron_version": h.nrnversion(), "general_settings": general,
            "connections": out}


def main():
    for d in (NETWORK, os.path.join(HERE, "components")):
        shutil.rmtree(d, ignore_errors=True)
    build()
    virt_edges()
    configs()
    bmtool_connections()
    print(open(os.path.join(HERE, "bmtool_connections.json")).read())


if __name__ == "__main__":
    main()
