// Schema migrations. Names are frozen: never edit or rename a shipped migration (GRDB's rule);
// change the schema by appending a new one. Tables are singular camelCase, as GRDB recommends.

import GRDB

enum Migrations {
  /// The migrator with every migration, in order.
  static var migrator: DatabaseMigrator {
    var m = DatabaseMigrator()
    m.registerMigration("2026-11-29 v1: run, lossPoint, sweep, fit, law") { db in
      try db.create(table: "sweep") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("name", .text).notNull().unique()
        t.column("kind", .text).notNull()
        t.column("spec", .text).notNull()
        t.column("createdAt", .text).notNull()
        t.column("status", .text).notNull()
          .check(sql: "status IN ('running', 'finished', 'interrupted')")
      }
      try db.create(table: "run") { t in
        t.autoIncrementedPrimaryKey("id")
        t.belongsTo("sweep", onDelete: .setNull)  // column sweepId
        t.column("sweepSlot", .integer)
        t.column("createdAt", .text).notNull()
        t.column("status", .text).notNull()
          .check(sql: "status IN ('running', 'finished', 'diverged', 'interrupted')")
        // Model configuration.
        t.column("layers", .integer)
        t.column("dModel", .integer)
        t.column("heads", .integer)
        t.column("context", .integer)
        t.column("vocab", .integer)
        // Training configuration.
        t.column("batch", .integer)
        t.column("tokensRequested", .integer)
        t.column("learningRate", .double)
        t.column("weightDecay", .double)
        t.column("beta1", .double)
        t.column("beta2", .double)
        t.column("gradClip", .double)
        t.column("warmupSteps", .integer)
        t.column("minLRFraction", .double)
        t.column("evalEvery", .integer)
        t.column("evalWindows", .integer)
        t.column("seed", .integer)  // UInt64 stored as its Int64 bit pattern
        t.column("threads", .integer)
        // Corpus.
        t.column("corpusKind", .text)
        t.column("corpusPath", .text)
        t.column("lexiconSize", .integer)
        t.column("zipfExponent", .double)
        t.column("corpusSeed", .integer)
        // Measurements.
        t.column("nonEmbeddingParams", .double).notNull()
        t.column("totalParams", .double)
        t.column("tokensTrained", .double).notNull()
        t.column("flops", .double)
        t.column("finalTrainLoss", .double)
        t.column("finalValidationLoss", .double)
        t.column("corpusEntropy", .double)
        t.column("validationSampleEntropy", .double)
        t.column("wallSeconds", .double)
        t.column("tokensPerSecond", .double)
        t.column("softwareVersion", .text)
        t.column("divergedAtStep", .integer)
        t.column("source", .text)
        t.column("notes", .text)
      }
      try db.create(index: "run_on_sweep_slot", on: "run", columns: ["sweepId", "sweepSlot"])
      try db.create(table: "lossPoint") { t in
        t.belongsTo("run", onDelete: .cascade).notNull()  // column runId
        t.column("step", .integer).notNull()
        t.column("tokens", .integer).notNull()
        t.column("trainLoss", .double).notNull()
        t.column("validationLoss", .double)
        t.column("learningRate", .double).notNull()
        t.column("elapsed", .double).notNull()
        t.primaryKey(["runId", "step"])
      }
      try db.create(table: "fit") { t in
        t.autoIncrementedPrimaryKey("id")
        t.belongsTo("sweep", onDelete: .setNull)
        t.column("approach", .text).notNull()
        t.column("params", .text).notNull()
        t.column("createdAt", .text).notNull()
      }
      try db.create(table: "law") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("name", .text).notNull().unique()
        t.column("kind", .text).notNull()
        t.column("E", .double).notNull()
        t.column("A", .double).notNull()
        t.column("B", .double).notNull()
        t.column("alpha", .double).notNull()
        t.column("beta", .double).notNull()
        t.column("intervals", .text).notNull()
        t.column("standardErrors", .text).notNull()  // JSON {name: se}
        t.column("correlation", .text)  // JSON 5×5 over (E, A, B, alpha, beta), or NULL
        t.column("provenance", .text).notNull()
        t.column("createdAt", .text).notNull()
      }
    }
    m.registerMigration("2026-11-29 v2: law bootstrap samples") { db in
      // JSON [[E, A, B, alpha, beta]], one row per bootstrap refit, or NULL.
      try db.alter(table: "law") { t in t.add(column: "samples", .text) }
    }
    m.registerMigration("2026-12-03 v3: sweep slot claims") { db in
      // One row per sweep slot being trained: the worker's lease. A worker takes a slot only
      // when no row exists or its owner is gone (dead pid on the same host, or no heartbeat for
      // longer than the lease), so two processes never train one slot twice.
      try db.create(table: "claim") { t in
        t.belongsTo("sweep", onDelete: .cascade).notNull()  // column sweepId
        t.column("slot", .integer).notNull()
        t.column("host", .text).notNull()
        t.column("pid", .integer).notNull()
        t.column("processStart", .text).notNull()  // the owner's start time, to tell pid reuse
        t.column("claimedAt", .text).notNull()
        t.column("heartbeatAt", .text).notNull()
        t.primaryKey(["sweepId", "slot"])
      }
      // The schema number, so a tool (or an older scaleplan) can tell the schema at a glance.
      try db.execute(sql: "PRAGMA user_version = 3")
    }
    return m
  }
}
