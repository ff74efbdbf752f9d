"""The core: engine, op table, language, graph model, steps. No Qt is imported here."""
