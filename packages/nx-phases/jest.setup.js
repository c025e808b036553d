// Phase runs inside specs print no progress (NX_PHASES_PROGRESS=none); progress.spec tests each mode explicitly.
process.env.NX_PHASES_PROGRESS = process.env.NX_PHASES_PROGRESS ?? 'none';
