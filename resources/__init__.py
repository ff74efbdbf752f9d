"""Files shipped with gradviz: example graphs and icons (installed as gradviz.resources)."""
