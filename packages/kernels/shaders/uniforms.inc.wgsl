// The binding convention of every kernel: its uniforms, `struct Params` (declared by the shader or its
// family's include), at @group(0) @binding(0); its storage buffers at bindings 1.. in the order the host
// passes them to Executor.dispatch. The host fills Params by field name (src/webgpu/uniforms.ts).
@group(0) @binding(0) var<uniform> u: Params;
