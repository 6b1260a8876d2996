/**
 * The normal and Student-t distributions the stopping rule needs: CDFs and quantiles, in plain arithmetic
 * (no dependency). A look of a sequential test gets a small share of the error rate (e.g. 0.4 %), so the
 * quantiles must be right far out in the tails, where a table or a crude approximation is not.
 *
 * - Normal CDF: from erfc, by W. J. Cody's rational approximations (relative error below 10⁻¹⁴).
 * - Normal quantile: Acklam's rational approximation refined by one Halley step on that CDF.
 * - Student-t CDF: from the regularized incomplete beta function (continued fraction, modified Lentz),
 *   I_x(ν/2, 1/2) with x = ν / (ν + t²); any real ν > 0, as Welch's degrees of freedom need.
 * - Student-t quantile: bisection on that CDF, bracketed from the normal quantile; 100 steps fix it to the
 *   last bits of a double.
 */
import { LambdaCostGateError } from '../errors.js';

// Coefficients, kept out of the functions so that no call allocates them.
const ERFC_MIDDLE_P: readonly number[] = [
  300.4592610201616, 451.9189537118729, 339.3208167343437, 152.9892850469404, 43.162227222056735, 7.2117582508830935,
  0.564195517478974, -1.368648573827167e-7
];
const ERFC_MIDDLE_Q: readonly number[] = [
  300.4592609569833, 790.9509253278981, 931.3540948506096, 638.9802644656312, 277.58544474398764, 77.00015293522948,
  12.782727319629423, 1
];
const ERFC_TAIL_P: readonly number[] = [
  -0.002996107077035422, -0.04947309106232507, -0.22695659353968692, -0.2786613086096478, -0.02231924597341847
];
const ERFC_TAIL_Q: readonly number[] = [
  0.010620923052846792, 0.19130892610782985, 1.051675107067932, 1.9873320181713525, 1
];
const ERF_SMALL_P: readonly number[] = [
  3209.3775891384694, 377.485237685302, 113.86415415105016, 3.1611237438705655, 0.18577770618460315
];
const ERF_SMALL_Q: readonly number[] = [
  2844.236833439171, 1282.6165260773723, 244.02463793444417, 23.601290952344122, 1
];
const ACKLAM_A: readonly number[] = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239
];
const ACKLAM_B: readonly number[] = [
  -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572
];
const ACKLAM_C: readonly number[] = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783
];
const ACKLAM_D: readonly number[] = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const LANCZOS: readonly number[] = [
  0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406, 12.507343278686905,
  -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7
];

/** A probability or degrees of freedom out of range. */
export class DistributionError extends LambdaCostGateError {}

/**
 * P(Z ≤ z) for a standard normal Z.
 *
 * @example
 * ```ts
 * normalCdf(1.959963985) // 0.975
 * ```
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  return z < 0 ? 0.5 * erfc(-z / Math.SQRT2) : 1 - 0.5 * erfc(z / Math.SQRT2);
}

/**
 * The p-quantile of the standard normal distribution.
 *
 * @throws {@link DistributionError} when p is not within (0, 1)
 *
 * @example
 * ```ts
 * normalQuantile(0.975) // 1.959963984540054
 * ```
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new DistributionError(`Probability must be within (0, 1); got ${p}`);
  const x = acklam(p);
  // One Halley step: the rational guess is good to 1e-9; this takes it to the precision of normalCdf.
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/**
 * P(T ≤ t) for Student's t with ν degrees of freedom (any real ν > 0).
 *
 * @throws {@link DistributionError} when ν is not a positive number
 *
 * @example
 * ```ts
 * studentTCdf(2.228138852, 10) // 0.975
 * ```
 */
export function studentTCdf(t: number, degreesOfFreedom: number): number {
  checkDegrees(degreesOfFreedom);
  if (Number.isNaN(t)) return Number.NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const x = degreesOfFreedom / (degreesOfFreedom + t * t);
  const tail = 0.5 * regularizedBeta(x, degreesOfFreedom / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/**
 * The p-quantile of Student's t with ν degrees of freedom; ν = Infinity gives the normal quantile.
 *
 * @throws {@link DistributionError} when p is not within (0, 1) or ν is not a positive number
 *
 * @example
 * ```ts
 * studentTQuantile(0.975, 10)  // 2.2281388519649385
 * studentTQuantile(0.9975, 39) // ≈ 2.98
 * ```
 */
export function studentTQuantile(p: number, degreesOfFreedom: number): number {
  if (!(p > 0 && p < 1)) throw new DistributionError(`Probability must be within (0, 1); got ${p}`);
  if (p === 0.5) return 0;
  return p < 0.5 ? -studentTTailQuantile(p, degreesOfFreedom) : studentTTailQuantile(1 - p, degreesOfFreedom);
}

/**
 * The t with P(T > t) = tail, for a tail within (0, 0.5]: the upper quantile, computed from the tail itself
 * so that tails far below 10⁻¹⁶ (which 1 − tail cannot hold) keep their precision. ν = Infinity gives the
 * normal one.
 *
 * @throws {@link DistributionError} when tail is not within (0, 0.5] or ν is not a positive number
 *
 * @example
 * ```ts
 * studentTTailQuantile(0.025, 10) // 2.2281388519649385
 * studentTTailQuantile(1e-20, Infinity) // 9.262340089798408
 * ```
 */
export function studentTTailQuantile(tail: number, degreesOfFreedom: number): number {
  if (!(tail > 0 && tail <= 0.5)) throw new DistributionError(`Tail probability must be within (0, 0.5]; got ${tail}`);
  if (degreesOfFreedom === Infinity) return -normalQuantile(tail);
  checkDegrees(degreesOfFreedom);
  if (tail === 0.5) return 0;
  const nu = degreesOfFreedom;
  const upper = (t: number) => 0.5 * regularizedBeta(nu / (nu + t * t), nu / 2, 0.5);
  const logDensityConstant = logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI);
  // Newton's method on ln P(T > t) from the Cornish–Fisher start: a few steps, where bisection takes a hundred.
  const z = -normalQuantile(tail);
  let t = z + (z ** 3 + z) / (4 * nu) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * nu * nu);
  for (let step = 0; step < 50 && Number.isFinite(t) && t > 0; step++) {
    const above = upper(t);
    const density = Math.exp(logDensityConstant - ((nu + 1) / 2) * Math.log1p((t * t) / nu));
    const next = t + (Math.log(above) - Math.log(tail)) * (above / density);
    if (Math.abs(next - t) <= 1e-14 * t) return next;
    t = next;
  }
  // Newton strayed (heavy tails with ν below 1): bracket and bisect.
  let low = 0;
  let high = Math.max(1, z * 2);
  while (upper(high) > tail) high *= 2;
  for (let step = 0; step < 200 && high - low > 1e-15 * high; step++) {
    const middle = (low + high) / 2;
    if (upper(middle) > tail) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

function checkDegrees(degreesOfFreedom: number): void {
  if (!(degreesOfFreedom > 0)) {
    throw new DistributionError(`Degrees of freedom must be a positive number; got ${degreesOfFreedom}`);
  }
}

/** erfc(x) for x ≥ 0, by Cody's rational approximations on [0, 0.5), [0.5, 4) and [4, ∞). */
function erfc(x: number): number {
  if (x < 0.5) return 1 - erfSmall(x);
  if (x < 4) {
    return Math.exp(-x * x) * (polynomial(ERFC_MIDDLE_P, x) / polynomial(ERFC_MIDDLE_Q, x));
  }
  if (x > 27) return 0;

  const z = 1 / (x * x);
  const r = (z * polynomial(ERFC_TAIL_P, z)) / polynomial(ERFC_TAIL_Q, z);
  return (Math.exp(-x * x) / x) * (1 / Math.sqrt(Math.PI) + r);
}

function erfSmall(x: number): number {
  const z = x * x;
  return (x * polynomial(ERF_SMALL_P, z)) / polynomial(ERF_SMALL_Q, z);
}

/** c[0] + c[1]·x + c[2]·x² + … by Horner's rule. */
function polynomial(coefficients: readonly number[], x: number): number {
  let sum = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) sum = sum * x + coefficients[i]!;
  return sum;
}

/** Acklam's approximation of the normal quantile (relative error below 1.2·10⁻⁹). */
function acklam(p: number): number {
  const tailPolynomial = (q: number) =>
    (((((ACKLAM_C[0]! * q + ACKLAM_C[1]!) * q + ACKLAM_C[2]!) * q + ACKLAM_C[3]!) * q + ACKLAM_C[4]!) * q +
      ACKLAM_C[5]!) /
    ((((ACKLAM_D[0]! * q + ACKLAM_D[1]!) * q + ACKLAM_D[2]!) * q + ACKLAM_D[3]!) * q + 1);
  if (p < 0.02425) return tailPolynomial(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tailPolynomial(Math.sqrt(-2 * Math.log1p(-p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((ACKLAM_A[0]! * r + ACKLAM_A[1]!) * r + ACKLAM_A[2]!) * r + ACKLAM_A[3]!) * r + ACKLAM_A[4]!) * r +
      ACKLAM_A[5]!) *
      q) /
    (((((ACKLAM_B[0]! * r + ACKLAM_B[1]!) * r + ACKLAM_B[2]!) * r + ACKLAM_B[3]!) * r + ACKLAM_B[4]!) * r + 1)
  );
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: about 15 significant digits). */
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** I_x(a, b), the regularized incomplete beta function, for 0 ≤ x ≤ 1. */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  // The continued fraction converges fast for x below (a + 1) / (a + b + 2); use the symmetry above it.
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a;
  return 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/** The continued fraction of the incomplete beta function, by the modified Lentz method. */
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let result = d;
  for (let m = 1; m <= 1000; m++) {
    const m2 = 2 * m;
    let term = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + term * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + term / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    result *= d * c;
    term = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + term * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + term / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    result *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return result;
}
