/**
 * The grid section of the run report (issue 8): what a memory × knob × architecture sweep measured in every
 * cell and what it concludes. Optional within schemaVersion 1; a baseline carries it so the next pull request
 * can show the grid it is compared with. The shapes are src/grid/types.ts's, checked against them below.
 */
import { z } from 'zod';
import type { GridResult } from '../grid/types.js';

const architecture = z.enum(['x86_64', 'arm64']).describe('Instruction set architecture');
const figure = (what: string) => z.number().nullable().describe(`${what}; null when the samples cannot give it`);

const cellSchema = z
  .object({
    memoryMb: z.number().int().min(1).describe('Memory size, in MB'),
    knobValue: z.string().optional().describe("The knob's value in this cell; absent without a knob"),
    architecture
  })
  .meta({ id: 'GridCell', description: "One cell's coordinates" });

const cellFiguresSchema = cellSchema
  .extend({
    invocations: z.number().int().min(0).describe('Measured warm successes used'),
    vcpus: z.number().min(0).describe('memory / 1769: the vCPU share Lambda gives'),
    threads: z.number().nullable().describe('Worker threads; null when neither the response nor the knob says'),
    jobsPerInvocation: figure('Mean jobs per invocation'),
    jobsPerSecondWorst: figure('threads / longest job time'),
    jobsPerSecondMedian: figure('threads / median job time'),
    jobsPerSecondAverage: figure('jobs done / total elapsed time'),
    jobsPerSecondPerThread: figure('jobsPerSecondAverage / threads'),
    jobsPerSecondPerVcpu: figure('jobsPerSecondAverage / vcpus'),
    costPerInvocationUsd: z.number().min(0).describe('Mean price of an invocation, in USD'),
    costPerJobUsd: figure('costPerInvocationUsd / jobsPerInvocation, in USD'),
    p50InvocationMs: z.number().min(0).describe('p50 of the REPORT Duration, in ms'),
    p99InvocationMs: z.number().min(0).describe('p99 of the REPORT Duration, in ms'),
    p99JobMs: figure("p99 of the jobs' own durations, in ms")
  })
  .meta({ id: 'CellFigures', description: "One cell's figures" });

export const gridSchema = z
  .object({
    spec: z
      .object({
        memorySizes: z.array(z.number().int().min(1)).describe('Memory sizes asked for, in MB'),
        knob: z
          .object({
            name: z.string().describe('Environment variable'),
            values: z.array(z.string()).describe('Its values')
          })
          .optional()
          .describe('The environment variable swept'),
        architectures: z.array(architecture).describe('Architectures swept'),
        maxCells: z.number().int().min(1).describe('The cap on cells')
      })
      .describe('What the grid was asked for'),
    plan: z
      .object({
        cells: z.array(cellSchema).describe('The cells deployed'),
        cutNote: z.string().optional().describe('What the cap cut, when it cut anything')
      })
      .describe('The cells to deploy'),
    cells: z.array(cellFiguresSchema).describe('Every measured cell'),
    parallelism: z
      .object({
        vcpusPerMb: z.number().describe('Effective vCPUs per MB (Lambda documents 1 / 1769)'),
        intercept: z.number().describe('Effective vCPUs at 0 MB of the fitted line'),
        mbPerVcpu: z.number().describe('Memory that buys one effective vCPU, in MB'),
        rSquared: z.number().describe('Coefficient of determination of the fit'),
        ceilingVcpus: z.number().optional().describe('Where growth stopped, in vCPUs'),
        points: z
          .array(z.object({ memoryMb: z.number().describe('MB'), effectiveVcpus: z.number().describe('vCPUs') }))
          .describe('The points the line was fitted to'),
        summary: z.string().describe('One sentence for the comment')
      })
      .optional()
      .describe('How throughput grows with memory at enough threads'),
    best: z
      .array(
        z.object({
          strategy: z.enum(['cost', 'speed', 'balanced', 'throughput']).describe('What the pick optimises'),
          cell: cellSchema,
          figures: cellFiguresSchema.optional(),
          fitted: z
            .object({
              memoryMb: z.number().describe('MB'),
              predictedCostPerJobUsd: z.number().describe('USD'),
              predictedDurationMs: z.number().describe('ms')
            })
            .optional()
            .describe('A pick between sampled memory sizes from the fitted model'),
          reason: z.string().describe('One sentence')
        })
      )
      .describe('The best cell for each strategy'),
    costBasis: z.enum(['job', 'invocation']).describe('Per job when every cell counted jobs'),
    unmeasured: z.array(cellSchema).optional().describe('Cells planned but not measured')
  })
  .meta({ id: 'GridResult', description: 'A memory × knob × architecture sweep' });

// Fails to compile when the report's grid and src/grid's GridResult drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _sameGrid: Same<z.infer<typeof gridSchema>, GridResult> = true;
