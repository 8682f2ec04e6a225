// What a fit's memory should be at most, as native/model/network.cc and
// train.cc lay it out: the runtime's baseline + X + Y + the parameters
// (current and spare) + gradients + optimizer state + the training arena for
// one batch (A, and Z for hidden layers, the output's Z and A, scratch for
// the widest layer, the batch's gathered inputs) + the shuffled order.
// Padding is left out.
function fitBound({ baseline, layers, m, batch, dtypeBytes, optimizerStates }) {
  const L = layers.length - 1;
  const params = layers.slice(1).reduce((s, n, i) => s + n * (layers[i] + 1), 0);
  let arena = 0;
  let widest = 0;
  for (let l = 1; l <= L; l++) {
    arena += layers[l] * batch * (l === L ? 2 : 1);
    if (l < L) widest = Math.max(widest, layers[l] * batch);
  }
  arena += widest + (layers[0] + layers[L]) * batch;
  const data = (layers[0] + layers[L]) * m;
  const parts = {
    baseline,
    data: data * dtypeBytes,
    parameters: params * dtypeBytes * (3 + optimizerStates),  // current, spare, gradients, state
    arena: arena * dtypeBytes + m * 4,
  };
  return { total: Object.values(parts).reduce((a, b) => a + b, 0), parts };
}

module.exports = { fitBound };
