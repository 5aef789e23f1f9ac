import type { Device } from "@flux/devices";
import type { DType } from "@flux/kernels";

export declare const SOURCE_DTYPES: DType[];
export declare function expectedDType(dtype: DType, eltype: DType | null | undefined, isGpu: boolean): DType;
export declare function dtypesFor(dev: Device): Promise<DType[]>;
export declare function devicesRoundTrip(
  dev: Device,
  options?: { dtypes?: readonly DType[]; numRuns?: number },
): Promise<void>;
