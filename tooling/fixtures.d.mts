export declare const FASHION_MNIST_ENV: "FLUX_FASHION_MNIST_DIR";
export declare const REPO_ROOT: string;
export declare const DEFAULT_FASHION_MNIST_DIR: string;
export declare function fashionMnistDir(env?: Record<string, string | undefined>): string;
export declare function haveFashionMnist(dir?: string): boolean;
