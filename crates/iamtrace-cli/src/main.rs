//! `iamtrace`: evaluate and test AWS IAM scenarios from the command line.

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use iamtrace_cli::commands::{self, Format};
use iamtrace_cli::error::Error;
use iamtrace_cli::style::{self, Style};
use iamtrace_cli::{cloudtrail, lint};

/// mimalloc: a quarter of a batch's instructions went to glibc's allocator
/// (the reader and the compiled set make many small allocations, freed on
/// other threads' arenas); mimalloc's thread-local heaps cut that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "iamtrace",
    version,
    about = "Explain AWS IAM decisions: evaluate scenarios and show the ordered evaluation trace"
)]
struct Cli {
    /// When to use colour: auto (only on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate scenarios and print the decision with its trace.
    Eval {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Scenario file: one scenario, a JSON array of scenarios, or JSON Lines; `-` reads standard input.
        #[arg(required_unless_present = "cloudtrail")]
        file: Option<String>,
        /// Read the request from CloudTrail events (a record, `{"Records": [...]}`, a lookup-events
        /// result) or a decoded authorization message, instead of a scenario.
        #[arg(long, value_name = "FILE", conflicts_with = "file")]
        cloudtrail: Option<String>,
        /// With `--cloudtrail`: evaluate against these policies (a scenario file, or its `policies` object).
        #[arg(long, value_name = "FILE")]
        policies: Option<String>,
    },
    /// Check policies like a compiler: unknown actions, overly broad grants, condition key types, size limits.
    Lint(lint::LintArgs),
    /// Check scenarios against their `expected` decisions; ends with `N passed, M failed`.
    Test {
        /// Scenario files (`-` for standard input).
        #[arg(required = true)]
        files: Vec<String>,
        /// Print the trace of passing scenarios too.
        #[arg(long)]
        verbose: bool,
    },
}

fn main() -> ExitCode {
    let cli: Cli = lint::parse_cli();
    let style = Style::new(match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => style::auto(),
    });
    let result = match cli.command {
        Command::Eval { format, cloudtrail: Some(ct), policies, .. } => {
            cloudtrail::run(&ct, policies.as_deref(), format, style)
        }
        Command::Eval { policies: Some(_), .. } => {
            Err(Error::Usage("`--policies` goes with `--cloudtrail`; a scenario file holds its own policies"))
        }
        Command::Eval { format, file, .. } => commands::eval(file.as_deref().unwrap_or("-"), format, style),
        Command::Test { files, verbose } => commands::test(&files, verbose, style),
        Command::Lint(args) => lint::run(&args, style),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "{}: {e}", style.error("error"));
            ExitCode::from(1)
        }
    }
}
