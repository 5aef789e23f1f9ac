// The workgroup size of a kernel that declares `// @param wg: 64u | 256u` (the host picks the variant).
const WG: u32 = /*@wg*/64u;
