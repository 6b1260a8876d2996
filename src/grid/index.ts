/** The grid sweep's pure core (issue 8): plan, figures, parallelism fit, best cells and the result. */
export type * from './types.js';
export { GRID_INPUTS, GridSpecError, MAX_KNOB_VALUES, parseKnob, planGrid, validateKnob } from './plan.js';
export { cellFigures, describeCell, GridFiguresError, MB_PER_VCPU, nearestRank } from './figures.js';
export { fitLine, fitParallelism, type ParallelismPoint } from './parallelism.js';
export { bestCells, type BestCellOptions, gridCostBasis } from './best-cell.js';
export { cellKey, gridResult, type GridResultOptions } from './result.js';
