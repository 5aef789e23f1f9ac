import { defineFluxPackage } from "../../tooling/tsup";

export default defineFluxPackage();
