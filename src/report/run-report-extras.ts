/**
 * Optional sections of the run report added within schemaVersion 1 (readers that do not know them ignore
 * them): how the gated sizes were sampled, and the recommendation fitted between sampled sizes.
 */
import { z } from 'zod';

const count = () => z.number().int().min(0);
const amount = () => z.number().min(0);

export const sizeSamplingSchema = z
  .object({
    memoryMb: z.number().int().min(1).describe('The gated size, in MB'),
    mode: z.enum(['adaptive', 'fixed']).describe('adaptive: looked after each batch; fixed: measured the cap at once'),
    looks: z.number().int().min(1).describe('Looks made at this size'),
    invocations: count().describe('Measured invocations of the candidate at this size'),
    cap: z.number().int().min(1).describe('The most there could have been (gate-invocations)'),
    stoppedBecause: z
      .enum(['decided', 'cap', 'undecidable', 'continue'])
      .describe('decided; cap reached; undecidable (no sample up to the cap could decide); continue (the run stopped)'),
    costUsd: amount().describe("What the candidate's invocations at this size cost, warm-ups included, in USD"),
    reason: z.string().describe("The last look's sentence")
  })
  .meta({ id: 'SizeSampling', description: 'How one gated size was sampled' });

const fittedPointSchema = z
  .object({
    memoryMb: z.number().int().min(1).describe('Memory size, in MB'),
    predictedMeanMs: amount().describe('Predicted mean duration, in ms'),
    predictedP99Ms: amount().describe('Predicted p99 duration, in ms'),
    predictedCostPerMillionUsd: amount().describe('Predicted cost of a million invocations, in USD'),
    position: z.enum(['sampled', 'between', 'below', 'above']).describe('Measured, between measured sizes, or beyond')
  })
  .meta({ id: 'FittedPoint', description: 'The fitted model at one memory size' });

export const fittedRecommendationSchema = z
  .object({
    fitted: z.boolean().describe('Whether the duration model could be fitted'),
    reason: z.string().describe('One sentence: the pick, or why there is none'),
    floor: z
      .object({
        memoryMb: z.number().int().min(1).describe('Smallest size the recommendation may pick, in MB'),
        maxMemoryUsedMb: amount().nullable().describe('Largest Max Memory Used reported, in MB'),
        marginMb: amount().describe('Safety margin above it, in MB'),
        reason: z.string().describe('Why the floor is where it is')
      })
      .optional()
      .describe('The memory floor'),
    model: z
      .object({
        fixedMs: amount().describe('Duration that does not scale with CPU, in ms'),
        cpuMs: amount().describe('CPU work on one full vCPU, in ms'),
        kneeMb: amount().describe('Above this size the duration stops falling, in MB'),
        r2: z.number().describe('Coefficient of determination of the fit'),
        kneeIdentified: z.boolean().describe('Whether sizes on both sides of the knee were measured')
      })
      .optional()
      .describe('duration = fixed + cpu · 1769 / min(memory, knee)'),
    p99Estimated: z.boolean().optional().describe('False when the predicted p99 rests on too few warm samples'),
    cost: fittedPointSchema.optional().describe('The cheapest size'),
    speed: fittedPointSchema.optional().describe('The fastest size (smallest of the plateau)'),
    balanced: fittedPointSchema.optional().describe('The balanced pick')
  })
  .meta({ id: 'FittedRecommendation', description: 'The optimum of each strategy, also between sampled sizes' });

export type SizeSampling = z.infer<typeof sizeSamplingSchema>;
export type FittedRecommendationSummary = z.infer<typeof fittedRecommendationSchema>;
