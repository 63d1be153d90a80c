//! NMODL FUNCTION_TABLEs from HOC: `table_<name>_<suffix>(...)` gives the
//! table its values (a constant, a pair of Vectors, or values over a grid
//! given by sizes and bounds or points), `<name>_<suffix>(x...)` reads it.
//! The setter returns 0, as NEURON's does.
//! The values belong to the mechanism (as NEURON's are static to it), not to
//! one instance, so neither needs `setdata` and both survive rebuilds.

use crate::{Engine, EngineError};
use neurite_hoc::sim::CallArg;
use neurite_nmodl::exec::ExecError;

impl Engine {
    /// The mechanism and FUNCTION_TABLE that `name` (`fn_mech`) names.
    fn function_table(&self, name: &str) -> Option<(String, String)> {
        self.library.names().find_map(|mech| {
            let bare = name.strip_suffix(&format!("_{mech}"))?;
            let compiled = self.library.get(mech).ok()?;
            compiled
                .function_tables
                .index(bare)
                .map(|_| (mech.to_string(), bare.to_string()))
        })
    }

    /// `table_f_mech(args)` or `f_mech(x...)`; `None` when `name` is
    /// neither.
    pub(crate) fn function_table_call(
        &mut self,
        name: &str,
        args: &[CallArg],
    ) -> Option<Result<f64, EngineError>> {
        let (setter, (mech, table)) = match name.strip_prefix("table_") {
            Some(rest) => match self.function_table(rest) {
                Some(found) => (true, found),
                None => (false, self.function_table(name)?),
            },
            None => (false, self.function_table(name)?),
        };
        let fail = |reason: String| {
            EngineError::Exec(ExecError::Call {
                mechanism: mech.clone(),
                name: name.to_string(),
                reason,
            })
        };
        let compiled = match self.library.get(&mech) {
            Ok(c) => c,
            Err(e) => return Some(Err(e.into())),
        };
        let result = if setter {
            let mut exec_args = Vec::with_capacity(args.len());
            for a in args {
                exec_args.push(match a {
                    CallArg::Num(x) => neurite_nmodl::exec::CallArg::Number(*x),
                    CallArg::Vector(v) => neurite_nmodl::exec::CallArg::Vector(v.clone()),
                    _ => return Some(Err(fail("takes numbers and Vectors".to_string()))),
                });
            }
            compiled
                .set_function_table(&table, &exec_args)
                .map(|()| 0.0)
        } else {
            let mut x = Vec::with_capacity(args.len());
            for a in args {
                match a {
                    CallArg::Num(v) => x.push(*v),
                    _ => return Some(Err(fail("takes numbers".to_string()))),
                }
            }
            compiled.function_tables.evaluate(&table, &x)
        };
        Some(result.map_err(fail))
    }
}
